def test_the_picker_narrows_over_a_province(world, client_for, monkeypatch):
    from dangjian.dashboard import selectors

    options = selectors.org_options(world.user("wc_admin"), world.c1)
    assert "预算处党支部" in options and "基础教育处党支部" in options
    monkeypatch.setattr(selectors, "PICKER_MAX", 3)
    options = selectors.org_options(world.user("wc_admin"), world.c1)
    # the committees, the selected org's line and its children; not another's branches
    assert "市教育局机关党委" in options and "预算处党支部" in options
    assert "基础教育处党支部" not in options and "selected>" in options
