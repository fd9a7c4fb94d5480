from django import template

from dangjian.accounts import oauth

register = template.Library()


@register.simple_tag
def oauth_providers() -> list[tuple[str, str]]:
    """(provider, label) of the WeChat Work / DingTalk logins switched on."""
    return oauth.providers()
