"""The API about itself: its health, and its OpenAPI document assembled from every room's."""
