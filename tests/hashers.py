"""The password hasher of the test run: real Argon2, with the cost turned down.

Production hashes with Django's Argon2 parameters (~160 ms and 100 MiB a hash, on purpose);
the ``world`` fixture alone hashes seven passwords, so the suite would spend a quarter of
its time hashing. The hashes are still ``argon2$...`` and verified by the same code.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
