"""Staff sign-in: failed sign-ins limited per account and per address (django-axes), the
lockout message, the administrators' unlock page, sign-in events in Wagtail's audit log and
the staff session's idle expiry. Residents never sign in: nothing here touches the public site."""
