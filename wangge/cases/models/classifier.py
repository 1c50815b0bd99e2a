"""The versions of the category model, stored in the database so that every process of every
node loads the same one (`cases.learning`). Apart from the case: a model is trained from many
cases and read by intake, never tied to one."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClassifierModel(models.Model):
    """One version of the category model: trained on the district's labelled cases, judged on a
    held-out slice, and kept (in use) only when it beats the one in use there. Stored here so
    every process of every node finds the same model (cases/learning.py loads the one in use
    within a minute of a change)."""

    class Kind(models.TextChoices):
        TRAINED = "trained", _("历史训练")
        REFIT = "refit", _("全量重训")

    version = models.PositiveIntegerField(_("版本"), unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    trained_on = models.PositiveIntegerField(_("训练样本数"), default=0)
    held_out = models.PositiveIntegerField(_("验证样本数"), default=0)
    leaves = models.PositiveIntegerField(_("可建议分类数"), default=0)
    # Held-out figures: top-1 and top-3 leaf agreement, top-1 in the right family, and the
    # share of the held-out cases the model would have filed under a wrong family by itself.
    top1 = models.FloatField(_("首选准确率"), null=True, blank=True)
    top3 = models.FloatField(_("前三命中率"), null=True, blank=True)
    family_top1 = models.FloatField(_("大类准确率"), null=True, blank=True)
    wrong_family = models.FloatField(_("自动分类错大类率"), null=True, blank=True)
    auto_share = models.FloatField(_("自动分类比例"), null=True, blank=True)
    # The same slice answered by the model in use when this one was judged (None: cold start).
    incumbent_top1 = models.FloatField(_("在用模型首选准确率"), null=True, blank=True)
    # Below this probability the model leaves the category to the desk (calibrated on the
    # held-out slice so that its own picks are wrong-family at most the tolerated share).
    threshold = models.FloatField(_("自动分类阈值"), default=1.0)
    kept = models.BooleanField(_("采用"), default=False)
    in_use = models.BooleanField(_("在用"), default=False)
    note = models.TextField(_("说明"), blank=True)
    # The fitted model as arrays (cases/learning.py: vocabulary, idf, weights, calibration), with
    # the versions of the libraries that made it.
    artefact = models.BinaryField(_("模型数据"), editable=False)
    libraries = models.JSONField(_("依赖版本"), default=dict, blank=True)

    objects: ClassVar[models.Manager["ClassifierModel"]]

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ("-version",)
        constraints = [
            models.UniqueConstraint(
                fields=["in_use"], condition=models.Q(in_use=True), name="classifier_one_in_use"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.get_kind_display()}"
