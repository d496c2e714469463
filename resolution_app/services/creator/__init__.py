"""The creator's side: the Resolution center table and its export, payments, the customer card, and the
business's settings."""
