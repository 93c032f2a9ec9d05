package io.viewpush.jdbc;

import org.junit.jupiter.api.Nested;
import io.viewpush.jdbc.modified.ModifiedAtWriteTrigger;
import io.viewpush.jdbc.modified.ModifiedColumnCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ModifiedAtWriteTest {
    @Nested
    class OnPostgres extends ModifiedAtWriteCases {
        OnPostgres() {
            super(TestDatabase.Kind.POSTGRESQL);
        }

        private String table(String triggers) {
            String t = newTable("touched");
            db.execute("CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, last_update TIMESTAMPTZ DEFAULT now(), pushed TIMESTAMPTZ)");
            db.execute(triggers.replace("TABLE", t).split(";;"));
            return t;
        }

        @Test
        void theCheckFindsATriggerThatWritesTheTransactionsTime() {
            // as in the well-known sample schemas: BEFORE UPDATE ... NEW.last_update = CURRENT_TIMESTAMP
            String t = table("CREATE FUNCTION TABLE_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "NEW.last_update = CURRENT_TIMESTAMP; RETURN NEW; END $$;;"
                    + "CREATE TRIGGER last_updated BEFORE UPDATE ON TABLE FOR EACH ROW EXECUTE FUNCTION TABLE_touch()");
            ModifiedColumnCheck.Finding f = ModifiedColumnCheck.inspect(db.dataSource(), "public." + t, "last_update");
            assertThat(f.code()).isEqualTo(ModifiedColumnCheck.Code.TRANSACTION_TIME_TRIGGER);
            assertThat(f.writer()).contains("last_updated");
            assertThat(f.source()).contains("CURRENT_TIMESTAMP");
        }

        @Test
        void theLastTriggerToFireDecides() {
            String t = table("CREATE FUNCTION TABLE_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "NEW.last_update := now(); RETURN NEW; END $$;;"
                    + "CREATE TRIGGER a_touch BEFORE UPDATE ON TABLE FOR EACH ROW EXECUTE FUNCTION TABLE_touch()");
            db.execute(ModifiedAtWriteTrigger.statements(ModifiedAtWriteTrigger.postgresqlSql("public", t, "last_update",
                    6, List.of("pushed"))).toArray(String[]::new));
            assertThat(ModifiedColumnCheck.inspect(db.dataSource(), t, "last_update").code())
                    .as("ViewPush's trigger fires after a_touch").isEqualTo(ModifiedColumnCheck.Code.WRITE_TIME_TRIGGER);
            db.execute("CREATE TRIGGER zz_touch BEFORE UPDATE ON " + t + " FOR EACH ROW EXECUTE FUNCTION " + t + "_touch()");
            ModifiedColumnCheck.Finding f = ModifiedColumnCheck.inspect(db.dataSource(), t, "last_update");
            assertThat(f.code()).as("zz_touch fires last").isEqualTo(ModifiedColumnCheck.Code.TRANSACTION_TIME_TRIGGER);
            assertThat(f.writer()).contains("zz_touch");
        }

        @Test
        void theCheckFindsContribModdatetimeByItsArgument() {
            // moddatetime is a C function; its catalog entry is what the check reads, so a stand-in with its name will do
            String t = table("CREATE FUNCTION TABLE_generic() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], transaction_timestamp())); RETURN NEW; END $$;;"
                    + "CREATE TRIGGER touch BEFORE UPDATE ON TABLE FOR EACH ROW EXECUTE FUNCTION TABLE_generic('last_update')");
            ModifiedColumnCheck.Finding f = ModifiedColumnCheck.inspect(db.dataSource(), t, "last_update");
            assertThat(f.code()).isEqualTo(ModifiedColumnCheck.Code.TRANSACTION_TIME_TRIGGER);
            assertThat(f.source()).contains("transaction_timestamp(");
        }
    }

    @Nested
    class OnH2 extends ModifiedAtWriteCases {
        OnH2() {
            super(TestDatabase.Kind.H2);
        }
    }
}
