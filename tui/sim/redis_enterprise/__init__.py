"""The simulated Redis Enterprise Software cluster: actions, state machines, pending ops."""
