"""school/onboarding."""
