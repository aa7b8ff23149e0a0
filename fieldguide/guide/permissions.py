from wagtail.permission_policies import ModelPermissionPolicy


class NoCreatePermissionPolicy(ModelPermissionPolicy):
    """Editors may read, mark and delete messages, but never write one themselves."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        actions = [a for a in actions if a != "add"]
        return bool(actions) and super().user_has_any_permission(user, actions)
