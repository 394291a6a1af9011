"""Sign-in: agency single sign-on (OpenID Connect), local passwords, passkeys (decision 0027)."""
