package dev.ota.it;

import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Waits of the browser ITs that try again when the element being read was replaced meanwhile. PrimeFaces replaces
 * the elements of an ajax update; a wait that found one and then read it can meet it gone. ChromeDriver reports that
 * as stale, or (seen in CI) as an "unknown error" that the node "does not belong to the document", which a plain
 * {@link WebDriverWait} does not ignore. Any other error still ends the wait at once.
 */
final class BrowserWait {
    private BrowserWait() {
    }

    static WebDriverWait of(WebDriver driver, Duration timeout) {
        return new WebDriverWait(driver, timeout) {
            @Override
            public <V> V until(Function<? super WebDriver, ? extends V> condition) {
                return super.<V>until(d -> {
                    try {
                        return condition.apply(d);
                    } catch (WebDriverException e) {
                        if (replacedMeanwhile(e)) {
                            return null; // not yet: the wait asks again
                        }
                        throw e;
                    }
                });
            }
        };
    }

    static boolean replacedMeanwhile(WebDriverException e) {
        return e instanceof StaleElementReferenceException
                || (e.getMessage() != null && e.getMessage().contains("does not belong to the document"));
    }
}
