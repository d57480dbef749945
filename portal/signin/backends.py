from axes.backends import AxesStandaloneBackend


class SignInLimitBackend(AxesStandaloneBackend):
    """django-axes' check before the password is even tried: a locked account or address is
    refused whatever the password.

    A sign-in through the web always carries its request (Wagtail's login view passes it);
    `authenticate()` without one (the test client's `login()`, a shell) is no sign-in attempt
    from outside and is left to the next backend instead of failing, as axes does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
