"""Local (password) accounts, which an operator can turn off with LOCAL_LOGIN=false."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's username and password check, refused everywhere (the admin's form included)
    when local sign-in is off; the accounts stay, and `create_user` still makes them."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
