"""Edit-form panels of the newsroom's pages."""

from wagtail.admin.panels import TitleFieldPanel


class StoryTitlePanel(TitleFieldPanel):
    """The big title field without Wagtail's title → slug sync when the form has no slug field.

    A story's slug is made from its title when it is saved (its address carries the id), so
    the form has no slug to fill; Wagtail's sync then has an empty target and its script
    throws an error in the console at every focus and key press in the title."""

    class BoundPanel(TitleFieldPanel.BoundPanel):
        def get_attrs(self):
            attrs = super().get_attrs()
            if attrs.get("data-w-sync-target-value"):
                return attrs
            return {"placeholder": attrs["placeholder"]} if attrs.get("placeholder") else {}
