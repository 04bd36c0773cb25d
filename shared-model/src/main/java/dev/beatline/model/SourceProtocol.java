package dev.beatline.model;

/** The wire protocol an event arrived on. Processors only use it to label and display the original payload. */
public enum SourceProtocol {
    ELASTIC_APM, SENTRY, OTLP
}
