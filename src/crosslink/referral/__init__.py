"""The victim referral mechanism."""
