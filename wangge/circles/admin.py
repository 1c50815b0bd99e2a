from django.contrib import admin

from wangge.circles.models import Post, SensitiveWord


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin[SensitiveWord]):
    list_display = ("word", "action")
    list_filter = ("action",)
    search_fields = ("word",)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ("text", "circle", "author", "visibility", "created_at")
    list_filter = ("circle", "visibility")
    raw_id_fields = ("author", "moderated_by")
