package dev.pacer.core.quota;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The accounts pacer may spend quota of. */
public record AccountPool(List<Account> accounts) {

    public AccountPool {
        accounts = List.copyOf(accounts);
        Set<String> ids = new HashSet<>();
        for (Account account : accounts) {
            if (!ids.add(account.id())) {
                throw new IllegalArgumentException("account id " + account.id() + " appears twice in the pool");
            }
        }
    }

    public List<Account> serving(String model) {
        return accounts.stream().filter(a -> a.serves(model)).toList();
    }

    public Optional<Account> find(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
