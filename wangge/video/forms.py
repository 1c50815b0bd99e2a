from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.video.models import CameraHold


class SnapshotForm(forms.Form):
    """A frame taken from the player: 截图立案 (with what and which category) or 复核 (of which
    resolved case)."""

    purpose = forms.ChoiceField(choices=[("case", _("截图立案")), ("review", _("复核截图"))])
    image = forms.FileField(label=_("截图"))
    description = forms.CharField(label=_("问题描述"), max_length=500, required=False)
    category = forms.CharField(label=_("事项分类"), max_length=20, required=False)
    case = forms.IntegerField(label=_("待核查案件"), required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("属实，立案")), ("dismiss", _("误报"))])
    category = forms.CharField(label=_("事项分类"), max_length=20, required=False)
    note = forms.CharField(label=_("补充说明"), max_length=500, required=False)


class HoldForm(forms.Form):
    hold = forms.ChoiceField(label=_("摄像头状态"), choices=CameraHold.choices, required=False)
