"""The buyer's side: what they bought and the platform balance their won cases gave them."""
