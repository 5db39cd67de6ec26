package dev.ota.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HomeChartTest {
    @Test
    void barsAreScaledToTheLargestValueAndKeepTheirOrderLabelsAndColours() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("pending", 3L);
        values.put("accepted", 12L);
        values.put("rejected", 0L);

        HomeView.Chart chart = HomeView.chart("Devices by status", values, Map.of("pending", "#d97706"), "");

        assertEquals(List.of("pending", "accepted", "rejected"), chart.bars().stream().map(HomeView.Bar::label).toList());
        assertEquals(List.of(75, 300, 0), chart.bars().stream().map(HomeView.Bar::width).toList());
        assertEquals(List.of("3", "12", "0"), chart.bars().stream().map(HomeView.Bar::value).toList());
        assertEquals("#d97706", chart.bars().get(0).fill());
        assertEquals("#3b82f6", chart.bars().get(1).fill());
        assertEquals(72, chart.height());
    }

    @Test
    void aSmallButNonZeroValueStillDrawsAVisibleBar() {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("root", 365L);
        values.put("timestamp", 0L);
        values.put("snapshot", 1L);

        HomeView.Chart chart = HomeView.chart("Days", values, Map.of(), " d");

        assertEquals(List.of(300, 0, 2), chart.bars().stream().map(HomeView.Bar::width).toList());
        assertEquals("365 d", chart.bars().get(0).value());
    }

    @Test
    void anEmptyChartHasNoBars() {
        HomeView.Chart chart = HomeView.chart("Rollouts", Map.of(), Map.of(), "");
        assertEquals(true, chart.isEmpty());
    }
}
