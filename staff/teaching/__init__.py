"""Staff work in their course: "My teaching" (a card per offering they teach or administer)
and a course home per offering with its tabs, as custom admin views."""
