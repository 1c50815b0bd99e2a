from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wangge.accounts"
    label = "accounts"
    verbose_name = _("账号与角色")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from wangge.accounts import receivers
        from wangge.accounts.models import RoleGrant, User
        from wangge.accounts.selectors import staff_on_node
        from wangge.accounts.services import api_token_authenticate
        from wangge.core import media
        from wangge.grids.selectors import register_node_staff

        media.register_token_user(api_token_authenticate)
        register_node_staff(staff_on_node)
        # Staff portraits are there to be recognised by the residents they serve: any signed-in
        # person may see them (no other personal data is stored under this folder).
        media.register("staff", lambda user, name: bool(user and user.is_authenticated))

        post_save.connect(
            receivers.forget_cached_tokens, sender=User, dispatch_uid="accounts.token-cache"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.forget_tokens_of_grant,
                sender=RoleGrant,
                dispatch_uid=f"accounts.token-cache.grant.{signal is post_save}",
            )
