"""Realistic fake credentials: shaped like real ones so redaction is really tested."""

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TEMP_ACCESS_KEY = "ASIAY34FZKBOKMUTVV7A"
SESSION_TOKEN = (
    "IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQDExampleSessionToken0123456789"
    "abcdefGHIJKLmnopQRSTuvwxYZ"
)
MASKED = "****************MPLE"
