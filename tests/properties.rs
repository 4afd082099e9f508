//! Property tests (added next).
