"""The versions of the documents people and schools accept (privacy statement, processor agreement).

Read by onboarding (the processor agreement), privacy (the statement) and accounts (signing up and
accepting an invitation accept the statement in force), so it lives apart from all three.
"""
