"""Slack's published limits, named once so every builder stays inside them.

https://docs.slack.dev/reference/block-kit/blocks and .../composition-objects
"""

SECTION_TEXT = 3000  # characters in a section block's text
CONTEXT_ELEMENTS = 10  # elements in one context block
CONTEXT_TEXT = 2000  # characters in one context text element (kept well under Slack's own)
HEADER_TEXT = 150  # plain_text characters in a header block
MESSAGE_BLOCKS = 50  # blocks in one message
MODAL_BLOCKS = 100  # blocks in one modal or Home tab view
MODAL_TITLE = 24  # plain_text characters in a modal title
BUTTON_TEXT = 75  # characters on a button
BUTTON_VALUE = 2000  # characters in a button's value
ACTIONS_ELEMENTS = 25  # elements in one actions block
PRIVATE_METADATA = 3000  # characters of a view's private_metadata
FALLBACK_TEXT = 3000  # the top-level `text` shown in notifications (Slack truncates at 40,000)
SUGGESTED_PROMPTS = 4  # prompts per assistant.threads.setSuggestedPrompts call
