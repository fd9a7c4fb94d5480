"""Party dues: each member's dues profile (category and base, with history), payments and the
months each payment covers, and the branch's yearly disclosure (DUE-12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import TimeStamped
from dangjian.core.scope import ScopedQuerySet


class Category(models.TextChoices):
    EMPLOYED = "employed", "在职"
    RETIRED = "retired", "离退休"
    FARMER = "farmer", "农民"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    RELIEF = "relief", "领取救济/低保"


class DuesProfile(TimeStamped):
    """One version of a member's dues settings, in force from ``effective_month`` until the
    next version. Nothing is overwritten: a change adds a row, so the history is kept."""

    class BaseSource(models.TextChoices):
        COMPONENTS = "components", "按工资项目计算"
        DIRECT = "direct", "直接填写"

    class Adjustment(models.TextChoices):
        NONE = "none", "正常交纳"
        REDUCED = "reduced", "少交"
        WAIVED = "waived", "免交"

    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="dues_profiles"
    )
    category = models.CharField("党员类别", max_length=12, choices=Category.choices)
    effective_month = models.DateField("起始月份", help_text="每月1日")
    base = models.DecimalField(
        "交纳基数（元/月）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    base_source = models.CharField(
        "基数来源", max_length=12, choices=BaseSource.choices, default=BaseSource.DIRECT
    )
    components = models.JSONField("工资项目", default=list, blank=True)
    income_tax = models.DecimalField("个人所得税", max_digits=12, decimal_places=2, default=0)
    farmer_amount = models.DecimalField(
        "农民党员月交额", max_digits=6, decimal_places=2, null=True, blank=True
    )
    adjustment = models.CharField(
        "少交/免交", max_length=8, choices=Adjustment.choices, default=Adjustment.NONE
    )
    adjusted_amount = models.DecimalField(
        "核准月交额", max_digits=10, decimal_places=2, null=True, blank=True
    )
    branch_decided_on = models.DateField("支部研究日期", null=True, blank=True)
    approved_on = models.DateField("上级党委批准日期", null=True, blank=True)
    approval_ref = models.CharField("批准文件/记录", max_length=200, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "member__org__path"
    scope_member = "member"

    class Meta:
        ordering = ["member", "-effective_month", "-id"]
        verbose_name = "党费档案"
        indexes = [
            models.Index(fields=["member", "effective_month"], name="dues_profile_member_month")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(base__isnull=True) | Q(base__gte=0),
                name="dues_profile_base_not_negative",
                violation_error_message="交纳基数不能为负数",
            ),
            models.CheckConstraint(
                condition=~Q(adjustment="reduced") | Q(adjusted_amount__isnull=False),
                name="dues_profile_reduced_has_amount",
                violation_error_message="少交须填写核准的月交额",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.effective_month:%Y-%m} {self.get_category_display()}"


class PaymentQuerySet(ScopedQuerySet):
    def valid(self):
        return self.filter(voided_at__isnull=True)


class DuesPayment(TimeStamped):
    """One payment by (or for) one member: regular dues for one or more months, or a
    voluntary extra payment (自愿多交)."""

    class Method(models.TextChoices):
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"
        ONLINE = "online", "线上支付"

    class Kind(models.TextChoices):
        REGULAR = "regular", "按月交纳"
        VOLUNTARY = "voluntary", "自愿多交"

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="收缴组织"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    paid_on = models.DateField("交纳日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    reference = models.CharField("转账/线上流水号", max_length=100, blank=True)
    receipt_no = models.CharField("收据号", max_length=50, blank=True)
    proxy_payer = models.CharField("代交人", max_length=50, blank=True)
    proxy_consent = models.BooleanField("支部同意代交", default=False)
    months_count = models.PositiveSmallIntegerField("所交月数", default=0)
    first_month = models.DateField("起始月份", null=True, blank=True)
    last_month = models.DateField("截止月份", null=True, blank=True)
    back_payment = models.BooleanField("补交超过规定月数", default=False)
    remit_to_centre = models.BooleanField("全额上缴中央", default=False)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)

    objects = PaymentQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "member"

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = "党费交纳记录"
        indexes = [models.Index(fields=["org", "paid_on"], name="dues_payment_org_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="dues_payment_amount_positive",
                violation_error_message="金额须大于0",
            ),
            models.CheckConstraint(
                condition=Q(proxy_payer="") | Q(proxy_consent=True),
                name="dues_payment_proxy_needs_consent",
                violation_error_message="委托他人代交须经党支部同意",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.paid_on} {self.amount}元"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    @property
    def months_label(self) -> str:
        if not self.first_month:
            return ""
        if self.first_month == self.last_month:
            return f"{self.first_month:%Y-%m}"
        return f"{self.first_month:%Y-%m}至{self.last_month:%Y-%m}"


class MonthQuerySet(ScopedQuerySet):
    def valid(self):
        return self.filter(voided=False)


class DuesPaidMonth(models.Model):
    """A month of dues settled by a payment: the amount due that month by the rule then in
    force. One valid row per member and month, so a month is never paid twice."""

    payment = models.ForeignKey(DuesPayment, on_delete=models.CASCADE, related_name="months")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("月份")
    amount = models.DecimalField("应交金额", max_digits=10, decimal_places=2)
    rule_code = models.CharField("依据", max_length=20, blank=True)
    rule_version = models.PositiveIntegerField(default=1)
    voided = models.BooleanField(default=False)

    objects = MonthQuerySet.as_manager()
    scope_path = "org__path"
    scope_member = "member"

    class Meta:
        ordering = ["member", "month"]
        verbose_name = "已交月份"
        indexes = [
            models.Index(fields=["org", "month"], name="dues_month_org_month"),
            models.Index(fields=["member", "month"], name="dues_month_member_month"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "month"],
                condition=Q(voided=False),
                name="dues_month_paid_once",
                violation_error_message="该月党费已交纳",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"


class DuesDisclosure(TimeStamped):
    """The branch's yearly disclosure of dues collected and used (DUE-12), with the figures
    frozen when it was published."""

    org = models.ForeignKey("orgs.Org", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    figures = models.JSONField("收缴情况", default=dict)
    usage = models.TextField("使用情况", blank=True)
    published_at = models.DateTimeField("公开时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class DisclosureQuerySet(ScopedQuerySet):
        def published_q(self, reach):
            # Members of the branch see its disclosure.
            if reach.member_id:
                from dangjian.members.models import Member

                own_org = Member.objects.filter(pk=reach.member_id).values("org_id")
                return Q(org__in=own_org)
            return Q(pk__in=[])

    objects = DisclosureQuerySet.as_manager()
    scope_path = "org__path"

    class Meta:
        ordering = ["-year", "org"]
        verbose_name = "党费收缴使用公开"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year"],
                name="dues_disclosure_once_per_year",
                violation_error_message="该年度已公开",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年党费公开"
