"""Forms of the channel pages. Choices come from the gate; the rules stay in the services."""

from __future__ import annotations

from django import forms

from dangjian.core.forms import BootstrapMixin
from dangjian.core.models import Channel, ChannelDelivery
from dangjian.core.scope import org_tree

ADDRESS_HELP = (
    "企业微信/钉钉/飞书：群设置 → 群机器人 → 添加自定义机器人后复制的 Webhook 地址；"
    "通用 Webhook：接收系统的地址（内网网关亦可）；电子邮件：收件邮箱。"
    "地址含密钥，保存后只显示遮盖后的形式。"
)
SECRET_HELP = (
    "钉钉“加签”、飞书“签名校验”的密钥，或通用 Webhook 的签名密钥；企业微信、电子邮件不需要。"
)


class ChannelForm(BootstrapMixin, forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="组织")
    kind = forms.ChoiceField(choices=Channel.Kind.choices, label="类型")
    name = forms.CharField(
        max_length=100, required=False, label="名称", help_text="留空则为“组织名+类型”"
    )
    url = forms.CharField(max_length=2000, label="地址", help_text=ADDRESS_HELP)
    secret = forms.CharField(
        max_length=200,
        required=False,
        label="签名密钥",
        help_text=SECRET_HELP,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
    )
    include_subtree = forms.BooleanField(required=False, label="同时推送下级组织发布的内容")

    def __init__(self, *args, user, channel: Channel | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)
        if channel is not None:
            # Org and kind are fixed once made; the stored address and secret are never
            # shown back: left blank, they stay as they are.
            del self.fields["org"], self.fields["kind"]
            self.fields["name"].required = True
            self.fields["name"].help_text = ""
            url = self.fields["url"]
            url.required = False
            url.help_text = f"当前发往 {channel.url_host}（地址含密钥，不再显示）。留空则不变。"
            url.widget.attrs["placeholder"] = "留空则不变"
            secret = self.fields["secret"]
            secret.help_text = (
                f"当前：{channel.secret_hint}。留空则不变。" if channel.secret_hint else SECRET_HELP
            )
            if channel.secret_hint:
                self.fields["clear_secret"] = forms.BooleanField(
                    required=False, label="清除签名密钥"
                )
                self.fields["clear_secret"].widget.attrs["class"] = "form-check-input"


class ChannelFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(required=False, label="关键词", max_length=100)
    org = forms.ModelChoiceField(
        queryset=None, required=False, label="组织", empty_label="全部组织"
    )
    kind = forms.ChoiceField(
        choices=[("", "全部类型"), *Channel.Kind.choices], required=False, label="类型"
    )
    enabled = forms.ChoiceField(
        choices=[("", "全部状态"), ("1", "启用"), ("0", "已停用")], required=False, label="状态"
    )
    sort = forms.ChoiceField(
        choices=[
            ("org", "按组织"),
            ("name", "按名称"),
            ("kind", "按类型"),
            ("-last", "最近推送在前"),
        ],
        required=False,
        label="排序",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = org_tree().choices(user)


class DeliveryFilterForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[("", "全部状态"), *ChannelDelivery.Status.choices], required=False, label="状态"
    )
