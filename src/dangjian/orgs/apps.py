from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangjian.orgs"
    label = "orgs"
    verbose_name = "党组织"

    # Demo data (dangjian.core.demo): functions of orgs/demo.py → rank.
    demo_steps = {"build_tree": 20, "build_boards": 50}

    def ready(self):
        # The gate (core.scope) reads the org tree and positions through this provider.
        from dangjian.core.scope import OrgTree, register_org_tree
        from dangjian.orgs import search  # noqa: F401  (org hits for the top bar's search)
        from dangjian.orgs.models import PATH_STEP, Org
        from dangjian.orgs.selectors import active_roles, org_choices

        register_org_tree(
            OrgTree(model=Org, path_step=PATH_STEP, active_roles=active_roles, choices=org_choices)
        )
