"""The platform's reviewers: their queue, claiming cases, and (through services/case_actions) deciding them."""
