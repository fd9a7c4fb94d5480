"""Load the shipped library after every migrate, so a fresh database has it."""


def load_after_migrate(sender, **kwargs):
    from dangjian.standards.library import load_library

    load_library()
