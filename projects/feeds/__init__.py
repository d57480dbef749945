"""Following the promises from outside the site: Atom/RSS feeds of published progress updates
(issue 13). The URLs are in `projects.feeds.urls`."""
