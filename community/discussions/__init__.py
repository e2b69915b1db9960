"""An offering's discussions: threads, posts, moderation and the mail about replies."""
