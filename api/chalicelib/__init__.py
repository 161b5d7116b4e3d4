"""The consultation API's logic and storage; app.py only maps routes onto it."""
