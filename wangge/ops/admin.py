from django.contrib import admin

from wangge.ops.models import AssessmentWeights


@admin.register(AssessmentWeights)
class AssessmentWeightsAdmin(admin.ModelAdmin[AssessmentWeights]):
    """The district's administrators set each year's assessment weights; the model's clean()
    refuses a set that does not add up to 100 with a message on the form."""

    list_display = ("year", "completion", "on_time", "response", "resolution", "satisfaction")
    ordering = ("-year",)
