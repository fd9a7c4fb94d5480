"""Pages of organizational life, by audience and concept:

- ``meetings``: the back office's meeting pages (PC first);
- ``annual``: the annual plan, the register (台账) and the 民主评议党员 (back office);
- ``phone``: the member's phone pages (sign in, leave, make up, appraise);
- ``common``: request helpers shared by them (year, org and branch from the query).
"""
