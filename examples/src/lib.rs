//! Example Cognito trigger functions built with `cognito-trigger`, and the sample events
//! they run on.

include!(concat!(env!("OUT_DIR"), "/samples.rs"));
