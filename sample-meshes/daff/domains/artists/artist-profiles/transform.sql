-- Two output ports: `artist_profiles` and `artist_tracks`.
-- Input ports: onboarded_artists, tracks, albums.
CREATE TABLE artist_profiles AS
WITH releases AS (
  SELECT
    artist_id,
    count(*) AS releases,
    min(released_on) AS first_release_on,
    max(released_on) AS latest_release_on
  FROM albums
  GROUP BY artist_id
),
catalog AS (
  SELECT artist_id, count(*) AS tracks
  FROM tracks
  GROUP BY artist_id
),
-- The primary genre is the artist's most frequent one; among equally frequent genres the first
-- by name, so every engine picks the same (mode() leaves the pick among ties to the engine).
primary_genres AS (
  SELECT artist_id, genre_name AS primary_genre
  FROM tracks
  WHERE genre_name IS NOT NULL
  GROUP BY artist_id, genre_name
  QUALIFY row_number() OVER (PARTITION BY artist_id ORDER BY count(*) DESC, genre_name) = 1
)
SELECT
  a.artist_id,
  a.artist_name,
  a.country,
  a.label,
  g.primary_genre,
  CAST(coalesce(r.releases, 0) AS INTEGER) AS release_count,
  CAST(coalesce(c.tracks, 0) AS INTEGER) AS track_count,
  r.first_release_on,
  r.latest_release_on,
  a.royalty_rate,
  a.payout_verified,
  a.onboarded_at
FROM onboarded_artists AS a
LEFT JOIN releases AS r ON r.artist_id = a.artist_id
LEFT JOIN catalog AS c ON c.artist_id = a.artist_id
LEFT JOIN primary_genres AS g ON g.artist_id = a.artist_id
ORDER BY a.artist_id;

CREATE TABLE artist_tracks AS
SELECT
  t.track_id,
  t.artist_id,
  t.title,
  t.album_id,
  t.genre_name,
  t.released_on
FROM tracks AS t
JOIN onboarded_artists AS a ON a.artist_id = t.artist_id
ORDER BY t.track_id;
