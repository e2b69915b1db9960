"""Rendering video items: privacy-enhanced embeds, unusable sources, internal videos with captions
and transcripts."""

import re

import pytest

from content.selectors import AssetRow
from content.tests.rendering.support import XSS, ctx
from content.types.video import render_video, transcript_webvtt

# Video -----------------------------------------------------------------------------------

TRANSCRIPT = {
    "language": "en",
    "segments": [
        {"start": 0.0, "end": 4.5, "text": f"Hello {XSS}"},
        {"start": 65.25, "end": 70, "text": "Later"},
        {"start": 3725, "end": 3730, "text": "Much later"},
    ],
}


@pytest.mark.parametrize(
    "data",
    [
        {"provider": "youtube", "video_id": "dQw4w9WgXcQ"},
        {"provider": "youtube", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=3"},
        {"provider": "youtube", "url": "https://youtu.be/dQw4w9WgXcQ"},
        {"provider": "youtube", "url": "https://www.youtube.com/embed/dQw4w9WgXcQ"},
    ],
)
def test_youtube_uses_the_privacy_enhanced_embed(data):
    html = render_video(data, ctx(title="Lecture"))
    assert (
        '<iframe class="video-embed" '
        'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?enablejsapi=1&amp;rel=0" '
        'title="Video: Lecture"'
    ) in html
    assert 'data-video-provider="youtube"' in html


def test_vimeo_embed_sets_do_not_track():
    for data in (
        {"provider": "vimeo", "video_id": "76979871"},
        {"provider": "vimeo", "url": "https://vimeo.com/76979871"},
    ):
        html = render_video(data, ctx())
        assert 'src="https://player.vimeo.com/video/76979871?dnt=1"' in html


@pytest.mark.parametrize(
    "data",
    [
        {"provider": "youtube", "video_id": '"><script>'},
        {"provider": "youtube", "url": "https://evil.example/watch?v=dQw4w9WgXcQ"},
        {"provider": "vimeo", "video_id": "12ab"},
        {"provider": "internal", "url": "javascript:alert(1)"},
        {"provider": "internal", "asset_id": 99},
    ],
)
def test_unusable_video_sources_show_a_notice(data):
    html = render_video(data, ctx())
    assert "This video is not available." in html
    assert "<iframe" not in html and "<video" not in html
    assert "<script" not in html


def test_internal_video_from_the_asset_library_with_captions_and_transcript():
    asset = AssetRow(3, "/media/lecture.mp4", "video", {})
    html = render_video(
        {
            "provider": "internal",
            "asset_id": 3,
            "url": "/media/fallback.mp4",
            "thumbnail_url": "/media/poster.jpg",
            "duration_seconds": 2700,
            "transcript": TRANSCRIPT,
        },
        ctx(assets={3: asset}, captions_url="/learn/1/items/2/captions.vtt", title="L1"),
    )
    assert (
        '<video class="video-embed" controls preload="metadata" playsinline '
        'src="/media/lecture.mp4" poster="/media/poster.jpg" aria-label="Video: L1">'
        '<track kind="captions" src="/learn/1/items/2/captions.vtt" srclang="en" '
        'label="Captions (en)" default>'
    ) in html
    assert "Length: 45 minutes" in html
    lines = re.findall(r'data-start="([^"]+)".*?<span class="ts">([^<]+)</span>', html)
    assert lines == [("0", "0:00"), ("65.25", "1:05"), ("3725", "1:02:05")]
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_internal_video_falls_back_to_the_payload_url_and_skips_captions_without_transcript():
    html = render_video({"provider": "internal", "url": "/media/a.mp4"}, ctx(captions_url="/c"))
    assert 'src="/media/a.mp4"' in html
    assert "<track" not in html
    assert "transcript" not in html


def test_webvtt_from_transcript():
    vtt = transcript_webvtt(
        {
            "transcript": {
                "language": "en",
                "segments": [
                    {"start": 0, "end": 2.5, "text": "A <b>bold</b> & --> claim\n\nnext"},
                    {"start": 3, "end": 3, "text": "Instant"},
                    {"start": 4, "end": 5, "text": "   "},
                    {"start": 3725.125, "end": 3726, "text": "Late"},
                ],
            }
        }
    )
    assert vtt == (
        "WEBVTT\n\n"
        "1\n00:00:00.000 --> 00:00:02.500\nA &lt;b&gt;bold&lt;/b&gt; &amp; --&gt; claim next\n\n"
        "2\n00:00:03.000 --> 00:00:03.500\nInstant\n\n"
        "3\n01:02:05.125 --> 01:02:06.000\nLate\n"
    )
