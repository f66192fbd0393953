"""Domain errors raised by services; pages turn them into translated messages."""


class DomainError(Exception):
    """A rule was broken. ``message_key`` names the catalog entry shown to the user."""

    message_key = "error.generic"

    def __init__(self, detail: str = "", *, message_key: str | None = None) -> None:
        super().__init__(detail or self.message_key)
        if message_key:
            self.message_key = message_key


class NotAuthenticated(DomainError):
    message_key = "error.not_signed_in"


class PermissionDenied(DomainError):
    message_key = "error.forbidden"


class InvalidInput(DomainError):
    message_key = "error.invalid_input"


class SecondFactorSetupRequired(PermissionDenied):
    """School admins and staff must enrol an authenticator before they may do anything else."""

    message_key = "auth.error.second_factor_setup_required"
