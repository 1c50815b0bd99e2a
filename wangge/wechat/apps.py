from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    name = "wangge.wechat"
    label = "wechat"
    verbose_name = _("微信与企业微信")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from wangge.accounts.models import User
        from wangge.notifications import channels
        from wangge.wechat.oauth import bind_pending_on_login
        from wangge.wechat.receivers import deactivated, deliver_later

        channels.register(deliver_later)
        post_save.connect(deactivated, sender=User, dispatch_uid="wechat.deactivated")
        user_logged_in.connect(bind_pending_on_login, dispatch_uid="wechat.bind-pending")
