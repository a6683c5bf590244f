package dev.pacer.core.quota;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReservationOutcomeTest {

    private static final Instant NOW = Instant.parse("2026-06-01T17:00:00Z");
    private static final Reservation RESERVATION = new Reservation("r-1", new Account("project-a", "gemini", URI.create("http://x"),
            "none", Map.of(), 0, ZoneId.of("UTC"), Optional.empty()), "gemini-3.1-flash-image", new Demand(1, 1, 0), NOW);

    @Test
    void aGrantHasItsReservationAndNothingToWaitFor() {
        ReservationOutcome granted = new ReservationOutcome.Granted(RESERVATION);

        assertEquals(Optional.of(RESERVATION), granted.granted());
        assertEquals(Optional.empty(), granted.opensAt());
        assertEquals("reserved on project-a", granted.reason());
    }

    @Test
    void noHeadroomReservesNothingAndSaysWhenAWindowOpens() {
        ReservationOutcome full = new ReservationOutcome.NoHeadroom(NOW.plusSeconds(61), "rpm 10 reached on project-a");

        assertEquals(Optional.empty(), full.granted());
        assertEquals(Optional.of(NOW.plusSeconds(61)), full.opensAt());
        assertEquals("rpm 10 reached on project-a", full.reason());
    }

    @Test
    void anUnservableDemandReservesNothingAndHasNothingToWaitFor() {
        ReservationOutcome never = new ReservationOutcome.Unservable("no account in the pool serves x");

        assertEquals(Optional.empty(), never.granted());
        assertEquals(Optional.empty(), never.opensAt());
        assertEquals("no account in the pool serves x", never.reason());
    }
}
