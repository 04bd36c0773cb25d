package dev.beatline.model;

/** Where the service ran. {@code ip} is the client address seen by the intake for backend agents. */
public record Host(
        String hostname,
        String architecture,
        String platform,
        String containerId,
        String kubernetesNamespace,
        String kubernetesPodName,
        String ip) {
}
