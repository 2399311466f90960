"""Housing allocation: listings, seekers, reactions, offers, blocks and accountability."""
