"""/school/onboarding: the wizard a new school admin goes through (see :mod:`.state` and :mod:`.view`)."""

from ogp_app.pages.onboarding.state import OnboardingState
from ogp_app.pages.onboarding.view import onboarding_page

__all__ = ["OnboardingState", "onboarding_page"]
