"""The platform's reviewers: their queue, claiming cases, and (through services/cases/case_actions) deciding them."""
