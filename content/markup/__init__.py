"""The one sanitising renderer: the MathML serialiser and the HTML allow-list (nh3 policy) that
content items and discussion posts both go through. It sits in content, the lowest app that
renders user-written markup, so community (above it) can use it without a package of its own."""
