from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Tenants do not sign up: staff invite them and they set a password."""

    def is_open_for_signup(self, request):
        return False
