"""The Scrapy item pipeline: every item is checked before the runner collects it."""

from spiders.kit.items import InvalidItem


class ValidateItem:
    def process_item(self, item, spider=None):
        if not hasattr(item, "validate"):
            raise InvalidItem(f"{type(item).__name__} is not a chokepoint item")
        item.validate()
        return item
