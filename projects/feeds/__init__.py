"""Following the promises from outside the site: Atom/RSS feeds of published progress updates
and robots.txt (issue 13). The URLs are in `portal.urls`."""
