-- Two output ports: `albums` and `tracks`. Sources: genre_list (CSV), release_feed, track_feed.
CREATE TABLE albums AS
SELECT
  r.album_id,
  r.title,
  r.artist_id,
  r.album_type,
  r.genre_id,
  CAST(r.released_at AS DATE) AS released_on,
  CAST(count(t.track_id) AS INTEGER) AS track_count,
  CAST(coalesce(sum(CAST(t.duration_seconds AS INTEGER)), 0) AS INTEGER) AS total_duration_seconds
FROM release_feed AS r
LEFT JOIN track_feed AS t ON t.album_id = r.album_id
GROUP BY ALL
ORDER BY r.album_id;

-- A track inherits artist, genre and release date from its album.
CREATE TABLE tracks AS
SELECT
  t.track_id,
  t.isrc,
  t.title,
  t.album_id,
  r.title AS album_title,
  r.artist_id,
  r.genre_id,
  g.genre_name,
  g.genre_family,
  CAST(t.duration_seconds AS INTEGER) AS duration_seconds,
  CAST(t.explicit AS BOOLEAN) AS explicit,
  CAST(r.released_at AS DATE) AS released_on
FROM track_feed AS t
JOIN release_feed AS r ON r.album_id = t.album_id
JOIN genre_list AS g ON g.genre_id = r.genre_id
ORDER BY t.track_id;
