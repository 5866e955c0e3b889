"""The simulated Seeweb ECS v2 actions API."""
