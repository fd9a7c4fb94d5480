"""机关党建平台: the party-building platform for government agencies."""
