"""The public portal's sections that publicity contributes (core.portal)."""

from dangjian.core.portal import section

section("home", "首页", "portal:index", icon="house", order=0)
section("articles", "党建动态", "portal:articles", icon="newspaper", order=10)
section("role_models", "身边榜样", "portal:role_models", icon="award", order=20)
section("disclosures", "党务公开", "portal:disclosures", icon="clipboard-check", order=30)
